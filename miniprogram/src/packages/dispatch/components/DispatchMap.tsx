import { useEffect, useRef } from 'react';
import { Text, View } from '@tarojs/components';
import type { MapScene } from '../map/leaflet-map';

/**
 * The caller, the accuracy circle, the trail and the stations on a map (H5: Leaflet; the console
 * is a desktop page). Elsewhere it says where to look instead.
 */
export function DispatchMap({ scene, sceneKey }: { scene: MapScene; sceneKey: string }) {
  const box = useRef<{ stop?: () => void }>({});
  useEffect(() => {
    let cancelled = false;
    // A constant branch, so weapp/alipay builds drop the import (and Leaflet) entirely.
    if (process.env.TARO_ENV === 'h5') {
      void import('../map/leaflet-map').then(({ drawMap }) => {
        const el = document.getElementById('dispatch-map');
        if (cancelled || !el) return;
        box.current.stop = drawMap(el, scene);
      });
    }
    return () => {
      cancelled = true;
      box.current.stop?.();
      box.current.stop = undefined;
    };
    // Redrawn when what it shows changes (sceneKey), not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sceneKey]);
  if (process.env.TARO_ENV !== 'h5') return <Text className='muted'>地图仅在网页版调度台显示</Text>;
  return <View id='dispatch-map' className='dispatch-map' ariaLabel='求助人位置地图' />;
}
